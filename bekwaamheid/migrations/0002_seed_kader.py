"""Seed version 1 of the college's framework: indicators beneath the three legal areas of the
bekwaamheidseisen, each with a four-level rubric. Editable (as a new version) in the admin."""

from django.db import migrations

KADER_NAME = "Bekwaamheidskader Pabo Rivierenland"

# (area code, indicator code, title, [beginnend, in ontwikkeling, startbekwaam, gevorderd])
EISEN = [
    ("vakinhoudelijk", "VI1", "Beheerst de leerstof van de basisvakken (taal, rekenen, wereldoriëntatie) boven het niveau van de groep",
     ["Kent de leerstof van de eigen groep deels; maakt inhoudelijke fouten in de uitleg.",
      "Kent de leerstof van de eigen groep; zoekt bij vragen van leerlingen nog vaak het antwoord op.",
      "Beheerst de leerstof van de eigen groep en de doorgaande lijn ervoor en erna; legt foutloos uit.",
      "Overziet de leerlijnen van groep 1 tot en met 8 en legt verbanden tussen vakken."]),
    ("vakinhoudelijk", "VI2", "Kent de doorgaande leerlijnen en kerndoelen en verantwoordt daarmee de keuze van lesinhoud",
     ["Volgt de methode zonder de kerndoelen te kennen.",
      "Kent de kerndoelen en vindt de plek van een les in de leerlijn met hulp.",
      "Plaatst lessen zelfstandig in de leerlijn en verantwoordt keuzes met kerndoelen.",
      "Past de leerlijn aan voor groepjes leerlingen en licht dat toe aan collega's."]),
    ("vakinhoudelijk", "VI3", "Onderhoudt de eigen vakkennis en gebruikt bronnen kritisch",
     ["Gebruikt vooral de methode als bron.",
      "Raadpleegt vakliteratuur als de coach daarom vraagt.",
      "Zoekt zelf betrouwbare bronnen en past wat hij of zij leest toe in de les.",
      "Deelt vakkennis en bronnen in het team en leert van collega's."]),
    ("vakdidactisch", "VD1", "Formuleert heldere leerdoelen en ontwerpt een les die daarop aansluit",
     ["Lesdoelen ontbreken of gaan over activiteiten in plaats van leren.",
      "Formuleert lesdoelen; de opbouw van de les sluit er nog niet steeds op aan.",
      "Formuleert concrete leerdoelen, deelt ze met de klas en bouwt de les er doelgericht omheen.",
      "Ontwerpt lessenreeksen met doelen op verschillende niveaus en evalueert ze met de klas."]),
    ("vakdidactisch", "VD2", "Geeft effectieve instructie (o.a. EDI, modelen, controle van begrip)",
     ["Instructie is lang en weinig gestructureerd; begrip wordt niet gecontroleerd.",
      "Instructie volgt een vaste opbouw; controle van begrip gebeurt af en toe.",
      "Geeft korte, gestructureerde instructie met modelen en controleert begrip bij alle leerlingen.",
      "Kiest bewust tussen instructievormen en past de instructie tijdens de les aan op wat leerlingen laten zien."]),
    ("vakdidactisch", "VD3", "Stemt onderwijs af op verschillen tussen leerlingen en volgt hun ontwikkeling",
     ["Geeft alle leerlingen dezelfde les en opdrachten.",
      "Werkt met instructiegroepen zoals de methode voorschrijft.",
      "Stemt instructie en verwerking af op groepjes en individuele leerlingen op basis van toetsen en observaties.",
      "Stelt groepsplannen op en evalueert ze met de intern begeleider en ouders."]),
    ("pedagogisch", "PE1", "Zorgt voor een veilig, gestructureerd en positief klasklimaat",
     ["Regels en routines zijn onduidelijk; de rust in de klas wisselt sterk.",
      "Hanteert regels en routines, maar grijpt nog vaak laat in.",
      "Zorgt voor duidelijke routines, een rustige klas en een positieve, veilige sfeer.",
      "Bouwt samen met de leerlingen aan een klas waarin zij elkaar aanspreken en helpen."]),
    ("pedagogisch", "PE2", "Bouwt een goede relatie op met leerlingen en ondersteunt hun autonomie en competentie",
     ["Contact met leerlingen is vooral zakelijk en gericht op orde.",
      "Toont interesse in leerlingen; geeft vooral feedback op gedrag.",
      "Kent de leerlingen, geeft positieve en taakgerichte feedback en laat leerlingen keuzes maken.",
      "Stimuleert leerlingen om hun eigen leren te sturen en te reflecteren."]),
    ("pedagogisch", "PE3", "Werkt samen met collega's en ouders en reflecteert op het eigen handelen",
     ["Werkt vooral alleen; reflectie blijft algemeen.",
      "Vraagt om hulp als het nodig is; reflecteert met hulp van de coach.",
      "Werkt actief samen in het team en met ouders, vraagt om feedback en zet die om in acties.",
      "Neemt initiatief in het team en ondersteunt collega's bij hun ontwikkeling."]),
]


def seed(apps, schema_editor):
    Kader = apps.get_model("bekwaamheid", "Bekwaamheidskader")
    Eis = apps.get_model("bekwaamheid", "Bekwaamheidseis")
    Niveau = apps.get_model("bekwaamheid", "Rubriekniveau")
    Gebied = apps.get_model("trajecten", "Bekwaamheidsgebied")
    if Kader.objects.filter(versie=1).exists():
        return
    from django.utils import timezone

    kader = Kader.objects.create(
        name=KADER_NAME, versie=1, status="actief", published_at=timezone.now(),
        toelichting="De bekwaamheidseisen (sinds 1 augustus 2017) uitgewerkt in indicatoren "
        "met een rubric van vier niveaus. Startbekwaam is het niveau voor het getuigschrift.",
    )
    gebieden = {g.code: g for g in Gebied.objects.all()}
    for order, (area, code, titel, levels) in enumerate(EISEN, start=1):
        eis = Eis.objects.create(kader=kader, gebied=gebieden[area], code=code, titel=titel, order=order)
        for niveau, omschrijving in enumerate(levels, start=1):
            Niveau.objects.create(eis=eis, niveau=niveau, omschrijving=omschrijving)


class Migration(migrations.Migration):
    dependencies = [
        ("bekwaamheid", "0001_initial"),
        ("trajecten", "0002_seed_bekwaamheidsgebieden"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
