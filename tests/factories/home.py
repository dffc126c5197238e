import factory
import wagtail_factories

from contacts.models import Organisation, Person, Theme
from home.models import HomePage, StandardPage


class ThemeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")

    class Meta:
        model = Theme


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")

    class Meta:
        model = Organisation


class PersonFactory(factory.django.DjangoModelFactory):
    first_name = "Yvette"
    last_name = factory.Sequence(lambda n: f"Molina {n}")

    class Meta:
        model = Person


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Accueil"
    intro = "Le club des managers du logement social."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    summary = "Une page de contenu."

    class Meta:
        model = StandardPage
