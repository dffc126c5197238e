"""The people domain moves here from home and publications with its rows: the tables keep their
names (db_table), so only Django's state changes; the content types move too, so that the
permissions granted on them (erase_lead, the lead managers' group) stay attached."""

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
import modelsearch.index
import uuid
from django.conf import settings
from django.db import migrations, models


MOVED = [
    ("home", "theme"),
    ("home", "organisation"),
    ("home", "person"),
    ("home", "outboundemail"),
    ("publications", "lead"),
    ("publications", "exportlog"),
]


def move_content_types(apps, schema_editor, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for old_app, model in MOVED:
        source, target = (old_app, "contacts") if forward else ("contacts", old_app)
        if not ContentType.objects.using(db).filter(app_label=source, model=model).exists():
            continue  # a fresh database: the content types are made after the migrations
        # One made meanwhile for the target (by a post_migrate) holds nothing: the old one wins.
        ContentType.objects.using(db).filter(app_label=target, model=model).delete()
        ContentType.objects.using(db).filter(app_label=source, model=model).update(
            app_label=target
        )


def move_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        # The tables exist: made by these apps' migrations, kept by this one.
        ("home", "0004_french_workflow_and_group_names"),
        ("publications", "0007_publication_date_help_text"),
        ("events", "0003_registration_mode_and_lead_managers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Organisation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='Par exemple : Fédération des OPH', max_length=200, unique=True, verbose_name='nom')),
                        ('short_name', models.CharField(blank=True, help_text='Affiché dans les listes quand il existe, par exemple : Editeur OPH', max_length=60, verbose_name='nom court')),
                        ('website', models.URLField(blank=True, verbose_name='site web')),
                    ],
                    options={
                        'verbose_name': 'organisation',
                        'verbose_name_plural': 'organisations',
                        'db_table': 'home_organisation',
                        'ordering': ['name'],
                    },
                    bases=(modelsearch.index.Indexed, models.Model),
                ),
                migrations.CreateModel(
                    name='Theme',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='Par exemple : Proximité', max_length=100, unique=True, verbose_name='nom')),
                        ('slug', models.SlugField(help_text='Lettres minuscules et tirets, par exemple : proximite', max_length=100, unique=True, verbose_name="identifiant dans l'adresse")),
                    ],
                    options={
                        'verbose_name': 'thème',
                        'verbose_name_plural': 'thèmes',
                        'db_table': 'home_theme',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='ExportLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('username', models.CharField(blank=True, max_length=150, verbose_name='identifiant')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='date')),
                        ('format', models.CharField(choices=[('csv', 'CSV'), ('xlsx', 'Excel (XLSX)')], max_length=4, verbose_name='format')),
                        ('source', models.CharField(choices=[('admin', 'Administration'), ('command', 'Commande export_leads')], max_length=10, verbose_name='origine')),
                        ('dataset', models.CharField(choices=[('requests', 'Demandes de livres blancs'), ('registrations', 'Inscriptions aux événements'), ('leads', 'Leads'), ('export_log', 'Journal des exports'), ('search_terms', 'Termes de recherche')], default='requests', max_length=15, verbose_name='liste exportée')),
                        ('filters', models.JSONField(blank=True, default=dict, verbose_name='filtres')),
                        ('row_count', models.PositiveIntegerField(default=0, verbose_name='lignes exportées')),
                        ('status', models.CharField(choices=[('running', 'en cours'), ('done', 'réussi'), ('failed', 'échoué')], default='running', help_text="« en cours » tant que le fichier s'écrit ; « échoué » si son écriture a été interrompue (les lignes comptées sont celles déjà écrites).", max_length=7, verbose_name='état')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='utilisateur')),
                    ],
                    options={
                        'verbose_name': 'export de leads',
                        'verbose_name_plural': 'exports de leads',
                        'db_table': 'publications_exportlog',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Lead',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                        ('first_name', models.CharField(max_length=100, verbose_name='prénom')),
                        ('last_name', models.CharField(max_length=100, verbose_name='nom')),
                        ('organisation', models.CharField(max_length=200, verbose_name='organisme')),
                        ('organisation_type', models.CharField(choices=[('oph', 'OPH'), ('esh', 'ESH'), ('coop', 'Coopérative HLM'), ('sem', 'SEM / EPL'), ('collectivite', 'Collectivité territoriale'), ('etat', 'État ou établissement public'), ('association', 'Association'), ('conseil', "Bureau d'études ou conseil"), ('autre', 'Autre')], max_length=20, verbose_name="type d'organisme")),
                        ('job_title', models.CharField(max_length=200, verbose_name='fonction')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='téléphone')),
                        ('news_opt_in', models.BooleanField(default=False, verbose_name='accepte les actualités du club')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='mis à jour le')),
                    ],
                    options={
                        'verbose_name': 'lead',
                        'verbose_name_plural': 'leads',
                        'db_table': 'publications_lead',
                        'permissions': [('erase_lead', "Peut effacer les données personnelles d'un lead")],
                        'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('email'), name='lead_email_ci_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='OutboundEmail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('to', models.EmailField(max_length=254, verbose_name='destinataire')),
                        ('subject', models.CharField(max_length=255, verbose_name='objet')),
                        ('body', models.TextField(verbose_name='texte')),
                        ('attachments', models.JSONField(blank=True, default=list, verbose_name='pièces jointes')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                        ('sent_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='envoyé le')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='tentatives')),
                        ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='prochaine tentative')),
                        ('last_error', models.CharField(blank=True, max_length=500, verbose_name='dernière erreur')),
                    ],
                    options={
                        'verbose_name': 'e-mail à envoyer',
                        'verbose_name_plural': 'e-mails à envoyer',
                        'db_table': 'home_outboundemail',
                        'indexes': [models.Index(fields=['sent_at', 'next_attempt_at'], name='home_outbou_sent_at_79d210_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='Person',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('first_name', models.CharField(max_length=100, verbose_name='prénom')),
                        ('last_name', models.CharField(max_length=100, verbose_name='nom')),
                        ('job_title', models.CharField(blank=True, help_text="Par exemple : professeur à l'école d'urbanisme de Paris", max_length=200, verbose_name='fonction')),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='people', to='contacts.organisation', verbose_name='organisation')),
                    ],
                    options={
                        'verbose_name': 'personne',
                        'verbose_name_plural': 'personnes',
                        'db_table': 'home_person',
                        'ordering': ['last_name', 'first_name'],
                    },
                    bases=(modelsearch.index.Indexed, models.Model),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_back),
    ]
