"""The agenda and the four seed events (seeds 000, 001, 002 and 004), word for word where the
seeds give words: titles, dates, places, texts, questions, sessions, people, prices.

Called by ``manage.py load_demo_content``; creates only what is missing. The seed white paper
was written for "la journée nationale du 1er février 2018", which is not one of these four
events: no event lists it.
"""

import datetime
from decimal import Decimal

from django.utils.html import escape

from contacts.models import Organisation, Person, Theme
from publications.demo import get_or_create_page

from .choices import (
    AttendanceMode,
    OrganisationRole,
    PersonRole,
    PriceAudience,
    RegistrationMode,
    RegistrationScope,
)
from .models import (
    EventIndexPage,
    EventKind,
    EventOrganisation,
    EventPage,
    EventPerson,
    EventPrice,
    EventSession,
    Venue,
)

NBSP = "\u00a0"  # the seeds' non-breaking spaces before "?", kept as they are

KINDS = {
    "atelier": ("Atelier du club", "atelier-du-club"),
    "cycle": ("Cycle d'ateliers", "cycle-d-ateliers"),
    "debat": ("Journée débat", "journee-debat"),
    "partenaire": ("Journée proposée par un partenaire", "journee-partenaire"),
}
THEMES = {
    "proximite": "Proximité",
    "numerique": "Numérique",
    "regroupements": "Regroupements",
    "organisation": "Organisation",
}
VENUES = {
    "novotel": ("Novotel Paris Bercy", "85 rue de Bercy", "75012", "Paris"),
    "relais": ("Les Salons du Relais", "4 rue du 8 mai 1945", "75010", "Paris"),
}
PEOPLE = {
    "cespedes": ("Vincent", "Cespedes", "philosophe et essayiste"),
    "molina": ("Yvette", "Molina", "sociologue, responsable du centre de recherche Askoria"),
    "driant": ("Jean-Claude", "Driant", "professeur à l’école d’urbanisme de Paris"),
}
ORGANISATIONS = {
    "1001-vies": "1001 Vies Habitat (ex-Groupe Logement Français)",
    "valophis": "Valophis Habitat",
    "aatiko": "Aatiko Conseils",
}


def paragraphs(*texts):
    return [("paragraph", f"<p>{escape(text)}</p>") for text in texts]


def html(*texts):
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def bullets(*texts):
    return "<ul>" + "".join(f"<li>{escape(text)}</li>" for text in texts) + "</ul>"


# --- Seed 000: an atelier du club -------------------------------------------------------------

PROXIMITY_2014 = {
    "slug": "quel-projet-de-proximite-pour-les-territoires",
    "title": "ATELIER 1 – 03.04.2014 – Quel projet de proximité pour les territoires ?",
    "kind": "atelier",
    "themes": ["proximite"],
    "venue": "novotel",
    "presentation": paragraphs(
        "La relation de proximité avec les locataires et les acteurs du territoire est une "
        "dimension essentielle de l’activité des organismes de logement social. Si elle s’est "
        "appuyée sur des formes multiples d’organisation selon les époques elle a été marquée "
        "par une volonté de rendre un service homogène sur l’ensemble des patrimoines gérés par "
        "le bailleur. Depuis quelques années, la problématique d’une adaptation plus fine à "
        "cette diversité des territoires est posée. Par ailleurs, les bailleurs ont développé "
        "de nouvelles formes de relations porteuses de proximité dans la relation avec les "
        "centres de relation client, les sites internet,… La question de leur articulation et "
        "de leur cohérence amène à revisiter les finalités d’une proximité recherchée avec les "
        "locataires.",
        "La recherche action menée conjointement par le Club Management et l’Union sociale pour "
        "l’habitat auprès de 7 organismes sur deux ans a permis d’éclairer la problématique de "
        "l’adaptation des politiques de proximité, des dispositifs d’organisation et des modes "
        "de management à la diversité des territoires de gestion.",
        "Le travail engagé pointe comme enjeux l’intérêt de revisiter le projet de proximité de "
        "l’organisme en fonction de la singularité des territoires, d’articuler différentes "
        "modalités de relations en vue de construire des réponses organisationnelles plus "
        "souples et de compléter les dispositifs managériaux pour développer le raisonnement "
        "territorial. Aussi, le projet de proximité actualisé doit permettre de réaffirmer les "
        "finalités poursuivies, d’envisager des formes d’organisation soutenant la réalisation "
        "de ces finalités, de s’appuyer sur des pratiques managériales facilitant une approche "
        "territoriale de l’activité.",
        "Quels sont les leviers de développement de dispositifs de gestion plus adaptés à la "
        f"diversité des territoires gérés{NBSP}? Quels sont les principaux freins{NBSP}? "
        "Peut-on identifier des formes d’organisation et de management qui facilitent cette "
        f"prise en compte plus forte des territoires{NBSP}?",
    ),
    "sessions": [{"date": datetime.date(2014, 4, 3)}],
}

# --- Seed 001: a cycle of four half-days -----------------------------------------------------

CYCLE_TITLE = "Revisiter la proximité à l'aune des enjeux d'aujourd'hui"
CYCLE_ATTENDANCE_NOTE = (
    "L'ensemble des demi-journées se dérouleront à Paris si les conditions sanitaires le "
    "permettent (sinon des visios seront organisées)."
)
CYCLE_PRICE_NOTE = "pour l'ensemble de l'atelier par personne (soit 4 demi-journées)"
MORNING = {"start_time": datetime.time(9), "end_time": datetime.time(12)}

PROXIMITY_CYCLE = {
    "slug": "revisiter-la-proximite",
    "title": CYCLE_TITLE,
    "kind": "cycle",
    "themes": ["proximite", "organisation"],
    "summary": "Cycle de 4 demi-journées en 2022/2023",
    "venue_city": "Paris",
    "attendance_mode": AttendanceMode.IN_PERSON_WITH_FALLBACK,
    "attendance_note": CYCLE_ATTENDANCE_NOTE,
    "audience": "A destination des directeurs et membres des comités de direction des "
    "organismes membre du club",
    "presentation": [
        ("heading", {"text": "Principe des ateliers du club", "level": "h3"}),
        *paragraphs(
            "Nous vous proposons un nouveau cycle d'atelier pour aller plus loin dans la "
            "production de contenu pour le secteur du monde Hlm.",
            "Au travers de 4 demi-journées en 2022/2023, nous traiterons du sujet de la "
            "proximité à l'aune des enjeux d'aujourd'hui, des difficultés et des opportunités "
            "vécues en proximité qui peuvent venir réinterroger les manières de faire des "
            "bailleurs.",
            "Les ateliers du club visent à faciliter la mise en réseau de cadres souhaitant "
            "travailler collectivement, partager des expériences, interroger des expertises ou "
            "des chercheurs externes, éclairer un sujet, pour progresser collectivement.",
        ),
        ("heading", {"text": "Thématique du deuxième atelier", "level": "h3"}),
        (
            "heading",
            {
                "text": "Vers une revisite de la proximité à l'aune des enjeux d'aujourd'hui ?",
                "level": "h4",
            },
        ),
        *paragraphs(
            "Depuis plusieurs années, les relations de proximité entre organismes de logements "
            "sociaux et locataires ont évolué, avec des locataires qui semblent de plus en plus "
            "demandeurs d'un accompagnement personnalisé et des organismes qui cherchent à "
            "innover dans leur posture vis-à-vis du locataire. La crise sanitaire aura, quant à "
            "elle, mis au jour voire amplifié certaines situations sociales auxquelles les "
            "organismes doivent pouvoir répondre.",
            "Alors que les organismes retrouvent une certaine normalité dans leurs modes de "
            "faire, les équipes en proximité cherchent à ajuster leur organisation en phase à la "
            "fois avec les nouvelles méthodes de travail héritées de la crise du covid et les "
            "attentes des locataires. La notion même de « proximité » vient à être "
            "réinterrogée.",
        ),
        (
            "questions",
            {
                "intro": "Trois séries de question constitueront la trame de l'atelier :",
                "questions": [
                    "Où en est le logement social sur son organisation en proximité ?",
                    "Que recouvre la notion de « proximité » ? Comment le bailleur doit-il se "
                    "positionner sur cette notion de proximité ?",
                    "Comment d'autres organisations abordent-elle leur relation de proximité "
                    "avec leurs usagers/clients ?",
                ],
            },
        ),
    ],
    "sessions": [
        {
            "title": "Etat des lieux : où en est le logement social sur le sujet de la proximité ?",
            "date": datetime.date(2022, 10, 13),
            **MORNING,
            "description": html(
                "La première séance sera l'occasion de faire un état des lieux des organisations "
                "en proximité à ce jour et d'en tirer des enseignements sur les bonnes pratiques "
                "et les adaptations à prévoir.",
                "En amont de l'atelier, un questionnaire sera envoyé à un large groupe "
                "d'organismes afin de les interroger sur leur retour d'expérience : à quelles "
                "difficultés se confrontent-ils ? Ont-ils expérimenté des réussites ? Quels sont "
                "les besoins des locataires aujourd'hui ? Ont-ils développé des projets "
                "innovants sur leurs dispositifs/services de proximité ? Le client est-il passif "
                "ou actif dans la production du service ? Ce questionnaire sera complété par des "
                "entretiens qualitatifs avec quelques organismes volontaires.",
            ),
        },
        {
            "title": "Prendre de la hauteur sur la notion de « proximité »",
            "date": datetime.date(2022, 12, 1),
            **MORNING,
            "speakers": ["cespedes"],
            "description": html(
                "La seconde séance fera intervenir le philosophe et essayiste Vincent Cespedes "
                "qui réfléchit depuis de nombreuses années au sujet des relations sociales en se "
                "questionnant sur :"
            )
            + bullets(
                "Comment plus d'humanité dans la proximité peut produire plus d'efficacité ?",
                "La proximité numérique peut-elle réellement remplacer la proximité physique ?",
                "Les relations sociales et l'échange de service : quelles complémentarités ?",
            )
            + html(
                "Il a notamment développé une théorie sur la valeur ajoutée de la proximité "
                "physique par rapport aux nouvelles formes de proximité numérique. Cette séance "
                "sera l'occasion de prendre un peu de recul sur les enjeux de la proximité dans "
                "notre société en 2022 et pour les années à venir."
            ),
        },
        {
            "title": "Revisiter la proximité, un thème investigué par d'autres organisations",
            "date": datetime.date(2023, 1, 10),
            **MORNING,
            "speakers": ["molina"],
            "description": "<p>Pour cette 3<sup>ème</sup> "
            + escape(
                "séance, nous accueillerons la sociologue Yvette Molina – responsable du centre "
                "de recherche Askoria – qui a mené une action de recherche auprès d'Archipel "
                "Habitat sur le thème « bailleur social, un travail de proximité. Entre gestion "
                "locative et insertion professionnelle des locataires ». Cette séance sera "
                "l'occasion de requestionner le sujet de la proximité dans le monde du secteur "
                "HLM à l'appui d'une étude sociologique de terrain. En effet, la recherche de "
                "Yvette Molina a notamment exploré les questions suivantes :"
            )
            + "</p>"
            + bullets(
                "La proximité est-elle un slogan ou se met-elle vraiment en œuvre ? Comment "
                "cette proximité se met en œuvre ?",
                "Comment cette proximité se traduit dans la réalité des collaborateurs "
                "d'Archipel Habitat ?",
                "En quoi y a-t-il proximité ou pas ?",
                "Comment un organisme parvient-il à croiser le geste technique et le geste "
                "social ?",
            ),
        },
        {
            "title": "Vers une revisite de la proximité dans le monde du logement social ?",
            "date": datetime.date(2023, 2, 9),
            **MORNING,
            "description": html(
                "La dernière séance donnera des clefs de lecture sur le/les service(s) de "
                "proximité les plus à même de répondre aux besoins des locataires. De plus, "
                "au-delà de la réalité pratique des organisations qui se mettent en place, ou "
                "de la philosophie du lien de proximité qui les soutient, nous explorerons quels "
                "en sont les déterminants économiques ou managériaux (récupération des charges, "
                "management internalisé... ?)."
            ),
        },
    ],
    "prices": [
        {
            "audience": "Adhérent",
            "amount": Decimal("500"),
            "note": CYCLE_PRICE_NOTE,
            "offered_to": PriceAudience.MEMBERS,
        },
        {
            "audience": "Non-Adhérent",
            "amount": Decimal("1500"),
            "note": CYCLE_PRICE_NOTE,
            "offered_to": PriceAudience.NON_MEMBERS,
        },
    ],
    # "INSCRIPTION EN LIGNE" on this site, for the whole cycle ("pour l'ensemble de
    # l'atelier"). The seed says places are limited without a number: 30 is ours.
    "registration": {
        "registration_mode": RegistrationMode.SITE,
        "registration_scope": RegistrationScope.WHOLE_EVENT,
        "capacity": 30,
        "waiting_list": True,
    },
}

# --- Seed 002: a day proposed by a partner ---------------------------------------------------

GROUPS_DAY = {
    "slug": "articuler-dynamique-de-regroupement-et-politiques-locales-de-l-habitat",
    "title": "Articuler dynamique de regroupement et affirmation des politiques locales de "
    "l’habitat",
    "kind": "partenaire",
    "themes": ["regroupements", "organisation"],
    "summary": "Comment faire groupe et écosystème sans perdre sa boussole et son identité ? "
    "Et pourquoi ?",
    "venue_city": "Paris",
    "presentation": paragraphs(
        "Les bailleurs sociaux ont maintenant acté leurs stratégies de regroupement (fusion, "
        "adossement à un groupe, société de coordination) et ont mis beaucoup d’énergie dans "
        "ces constitutions. Et même souvent beaucoup plus que prévu, entre aléas juridiques, "
        "retards informatiques ou complications liées au COVID, la constitution de ces groupes "
        "a été un parcours long et fastidieux, éloignant parfois les collaborateurs du sens et "
        "des objectifs recherchés.",
        "Pour que ces regroupements produisent les effets et synergies imaginés, il est "
        "maintenant nécessaire de « faire groupe ». C’est-à-dire de créer les conditions "
        "propices à la réalisation de projets communs porteurs / créateurs de valeur pour tous "
        "et respectant les identités / spécificités de chacun. Montrer qu’à plusieurs, on peut "
        "effectivement faire plus et mieux que tout seul. Alors oui, il faut du temps et des "
        "moyens, ce qui est déjà énorme à l’heure où chaque entité est déjà débordée par ses "
        "propres urgences. Mais il faut aussi, et surtout, un sens et une culture commune, un "
        "alignement et une exemplarité managériale, des habitudes et rituels de travail simples "
        "et efficaces, du pragmatisme et du volontarisme… autant de choses qui ne se décrètent, "
        "ni ne s’imposent.",
        "Dans le même temps, les bailleurs sociaux déploient localement, sur leurs territoires "
        "d’implantation, des stratégies d’intervention sur-mesure, de plus en plus diversifiées "
        "(aménagement, syndic, maison de l’habitat, gestion pour le compte de tiers, sécurité "
        "des quartiers, …) et dans des configurations partenariales protéiformes (politique "
        "locale de l’habitat, associations locales, groupement inter-bailleurs, GIE, …). Un "
        "deuxième impératif émerge localement : « faire écosystème ». Sortir de son pré carré "
        "et devenir une entreprise ouverte sur son écosystème et ses parties-prenantes. Parfois "
        "même en se positionnant « à l’opposé » de son groupe.",
    ),
    "sessions": [
        {
            "date": datetime.date(2022, 3, 22),
            "start_time": datetime.time(9, 30),
            "end_time": datetime.time(16, 30),
        }
    ],
    "organisations": [("aatiko", OrganisationRole.ORGANISER)],
    "people": [("driant", PersonRole.KEY_WITNESS)],
}

# --- Seed 004: a journée débat ---------------------------------------------------------------

DIGITAL_DAY = {
    "slug": "le-numerique-comme-appui-a-une-nouvelle-forme-d-organisation",
    "title": "Le numérique comme appui à une nouvelle forme d’organisation, dynamiser la "
    "ressource habitante",
    "kind": "debat",
    "themes": ["numerique", "proximite"],
    "venue": "relais",
    "presentation": paragraphs(
        "De nombreuses organisations ont mis en place des dispositifs pour favoriser le contact "
        "spontané et multi thèmes dans la relation avec l’usager. Il s’agit de le placer au "
        "centre de la relation, et d’être en mesure de répondre à ses attentes : permettre "
        "l’interaction où et quand il le souhaite, apporter une réponse rapide et faciliter plus "
        "généralement les interactions tout au long de son parcours. L’écoute de l’usager est "
        "un élément incontournable de la relation. Elle se concrétise notamment par des "
        "enquêtes de satisfaction et la gestion des réclamations, mais aussi par des démarches "
        "de co-construction associant les usagers pour définir la meilleure réponse à leurs "
        "attentes.",
        "Des pratiques innovantes autour du numérique (services en ligne, applications mobiles, "
        "réseaux sociaux…,) se sont déployées afin de faciliter toujours plus la mise en "
        "relation en toute circonstance. Plusieurs travaux de recherche sont consacrés à ce "
        "thème, selon un mode exploratoire et d’anticipation : impacts de la dématérialisation "
        "de la relation client, impacts des outils numériques sur la relation aux locataires, "
        "évolutions de la RSE, des modalités de concertation…",
        "Dans un contexte par ailleurs où la présence de proximité est une ressource fortement "
        "plébiscitée dans les grands quartiers, pour garantir la continuité de service et de "
        "prise en compte des demandes des locataires notamment, comment l’outil ou les outils "
        "numériques peuvent-ils être conçus et fonctionner en appui à une nouvelle forme "
        "d’organisation, et maintenir le niveau de service attendu ? Comment ces outils "
        f"peuvent-ils remplir un objectif de redynamisation de la relation avec les locataires "
        f"?{NBSP} Comment faire évoluer les relations aux associations de locataires : "
        "développer des relations collaboratives, poursuivre des associations volontaires, "
        "favoriser les formes de collectifs non formalisées aux côtés des amicales et les "
        "légitimer ? Comment travailler autrement sur les thèmes de la gestion technique, comme "
        "la gestion des encombrants et privilégier une approche sociale pour en limiter les "
        "impacts sur un territoire : quels choix font les usagers au regard du coût du service, "
        "des enjeux d’image… ?",
        "A partir d’une réflexion sur la fonction même de l’outil, en accompagnement des besoins "
        "locaux, coopératifs, et/ou collaboratifs, sur les enjeux de nouveaux rapports locatifs "
        "à organiser dans les quartiers, nous regarderons comment se sont mis en place les "
        "dispositifs et quels sont les résultats obtenus localement. Ces outils ont-ils été "
        "constitués à partir de la relation avec les usagers, selon une logique de "
        "co-construction/codécision, avec une impulsion « par le bas » ? A quel besoin "
        "viennent-ils répondre ? Sont-ils utilisés et par quelle(s) catégorie(s) d’usagers ? "
        "Nous nous intéresserons également aux déploiements qui sont envisagés à plus grande "
        "échelle.",
    ),
    "sessions": [{"date": datetime.date(2018, 10, 18)}],
    "organisations": [
        ("1001-vies", OrganisationRole.PILOT),
        ("valophis", OrganisationRole.PILOT),
    ],
}

SEED_EVENTS = [PROXIMITY_CYCLE, GROUPS_DAY, DIGITAL_DAY, PROXIMITY_2014]


class References:
    """The snippets the seed events point at, created when missing and reported once."""

    def __init__(self, created):
        self.created = created

    def get(self, model, lookup, defaults, label):
        instance, new = model.objects.get_or_create(**lookup, defaults=defaults)
        if new:
            self.created.append(label)
        return instance

    def kind(self, key):
        name, slug = KINDS[key]
        return self.get(EventKind, {"slug": slug}, {"name": name}, f"type d'événement « {name} »")

    def theme(self, slug):
        name = THEMES[slug]
        return self.get(Theme, {"slug": slug}, {"name": name}, f"thème « {name} »")

    def venue(self, key):
        name, street, postcode, city = VENUES[key]
        return self.get(
            Venue,
            {"name": name, "street": street, "city": city},
            {"postcode": postcode},
            f"lieu « {name} »",
        )

    def person(self, key):
        first_name, last_name, job_title = PEOPLE[key]
        return self.get(
            Person,
            {"first_name": first_name, "last_name": last_name},
            {"job_title": job_title},
            f"personne « {first_name} {last_name} »",
        )

    def organisation(self, key):
        name = ORGANISATIONS[key]
        return self.get(Organisation, {"name": name}, {}, f"organisation « {name} »")


def seed_event(seed, refs):
    """An unsaved EventPage holding the seed's sessions, people, organisations and prices."""
    return EventPage(
        slug=seed["slug"],
        title=seed["title"],
        kind=refs.kind(seed["kind"]),
        themes=[refs.theme(slug) for slug in seed["themes"]],
        summary=seed.get("summary", ""),
        presentation=seed["presentation"],
        audience=seed.get("audience", ""),
        venue=refs.venue(seed["venue"]) if "venue" in seed else None,
        venue_city=seed.get("venue_city", ""),
        attendance_mode=seed.get("attendance_mode", AttendanceMode.IN_PERSON),
        attendance_note=seed.get("attendance_note", ""),
        sessions=[
            EventSession(
                title=session.get("title", ""),
                date=session["date"],
                start_time=session.get("start_time"),
                end_time=session.get("end_time"),
                description=session.get("description", ""),
                speakers=[refs.person(key) for key in session.get("speakers", [])],
            )
            for session in seed["sessions"]
        ],
        people=[
            EventPerson(person=refs.person(key), role=role) for key, role in seed.get("people", [])
        ],
        organisations=[
            EventOrganisation(organisation=refs.organisation(key), role=role)
            for key, role in seed.get("organisations", [])
        ],
        prices=[EventPrice(**price) for price in seed.get("prices", [])],
        **seed.get("registration", {}),
    )


def load(home):
    """The agenda below ``home`` (the site's root page), and the seed events in it."""
    created = []
    agenda, new = get_or_create_page(
        home,
        EventIndexPage,
        "agenda",
        title="Agenda",
        show_in_menus=True,
        intro="<p>Les ateliers du club, les cycles d'ateliers et les journées débat : à venir, "
        "puis passés.</p>",
    )
    if new:
        created.append("agenda")
    refs = References(created)
    existing = set(agenda.get_children().values_list("slug", flat=True))
    for seed in SEED_EVENTS:
        if seed["slug"] in existing:
            continue
        event = seed_event(seed, refs)
        agenda.add_child(instance=event)
        event.save_revision().publish()
        created.append(f"événement « {seed['title']} »")
    return created
