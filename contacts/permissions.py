from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Staff read leads, requests and the export log; nobody adds or edits them by hand,
    superusers included. Erasure has its own permission and view."""

    refused_actions = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        if action in self.refused_actions:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - self.refused_actions)


def can_export(user):
    """The lead managers' export permission (granted with their group, publications 0003)."""
    return user.has_perm("publications.export_downloadrequest")


def can_erase(user):
    return user.has_perm("contacts.erase_lead")


def can_see_outbox(user):
    return user.has_perm("contacts.view_outboundemail")


def can_retry_mail(user):
    """Lead managers and superusers send a failed mail again (contacts 0005)."""
    return user.has_perm("contacts.retry_outboundemail")


def can_attach(user):
    """Lead managers and superusers attach a lead to an organisation by hand (contacts 0008)."""
    return user.has_perm("contacts.attach_lead")


def can_see_organisations(user):
    return user.has_perm("contacts.view_organisation")


def can_view_leads(user):
    """People's names and what they did: the lead managers' view permission."""
    return user.has_perm("contacts.view_lead")
