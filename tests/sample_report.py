"""A fictional CRC report (written for the tests, no corpus text) as HTML, styled or plain."""

from __future__ import annotations

FILLER = ("La chambre a examiné les pièces produites par la collectivité et les a rapprochées des comptes "
          "de gestion du comptable public pour chacun des exercices sous revue. ")


def sample_html(styled: bool = True) -> str:
    def h(level: int, text: str) -> str:
        return f"<h{level}>{text}</h{level}>" if styled else f"<p>{text}</p>"

    parts = [
        "<p>Le président</p>",
        "<p>Objet : notification du rapport d'observations définitives relatif à la commune de Testville</p>",
        "<p>Je vous prie de bien vouloir trouver ci-joint le rapport comportant les observations définitives "
        "de la chambre régionale des comptes de Bretagne sur la gestion de la commune de Testville pour les "
        "exercices 2012 et suivants.</p>",
        "<p>RAPPORT D'OBSERVATIONS DÉFINITIVES</p>",
        h(1, "SYNTHÈSE"),
        "<p>La situation financière de la commune de Testville reste fragile malgré un effort de maîtrise "
        "des charges de gestion engagé depuis 2013.</p>",
        "<p>La fiabilité des comptes doit être améliorée : aucune provision n'est constituée pour les "
        "litiges en cours. La chambre formule trois recommandations et un rappel au droit.</p>",
        h(1, "RECOMMANDATIONS"),
        "<p>Recommandation n° 1 : constituer les provisions pour risques et charges dès l'ouverture d'un "
        "contentieux. Non mise en œuvre.</p>",
        "<p>Recommandation n° 2 : présenter au conseil municipal un plan pluriannuel d'investissement "
        "chiffré. Totalement mise en œuvre.</p>",
        "<p>Recommandation n° 3 : délibérer sur le temps de travail des agents. En cours de mise en œuvre.</p>",
        h(1, "RAPPELS AU DROIT"),
        "<p>Rappel au droit n° 1 : annexer au compte administratif la liste des concours attribués aux "
        "associations.</p>",
        h(1, "PROCÉDURE"),
        "<p>Lors de sa séance du 3 juin 2015, la chambre a formulé des observations provisoires.</p>",
        "<p>Lors de sa séance du 15 septembre 2015, la chambre a arrêté les observations définitives "
        "présentées ci-après.</p>",
        h(1, "1. LA FIABILITÉ DES COMPTES"),
        h(2, "1.1 Les provisions pour litiges"),
        "<p>" + FILLER * 3 + "</p>",
        "<p>La commune est exposée à un contentieux indemnitaire depuis 2013 sans qu'aucune provision "
        "n'ait été constituée.</p>",
        "<p>Recommandation n° 1 : constituer les provisions pour risques et charges dès l'ouverture d'un "
        "contentieux.</p>",
        h(2, "1.2 Les annexes du compte administratif"),
        "<p>" + FILLER * 2 + "</p>",
        h(1, "2. LA SITUATION FINANCIÈRE"),
        h(2, "2.1 L'autofinancement"),
        "<p>" + FILLER * 4 + "</p>",
        "<table><tr><td>En milliers d'euros</td><td>2013</td><td>2014</td></tr>"
        "<tr><td>Capacité d'autofinancement brute</td><td>1 250</td><td>980</td></tr></table>",
        h(2, "2.2 L'endettement"),
        "<p>" + FILLER * 3 + "</p>",
        h(1, "ANNEXE : SUIVI DES RECOMMANDATIONS DU PRÉCÉDENT RAPPORT"),
        "<table><tr><td>Recommandation du rapport de 2010</td><td>Suivi</td></tr>"
        "<tr><td>Adopter un règlement intérieur de la commande publique.</td><td>Mise en œuvre</td></tr>"
        "<tr><td>Fiabiliser l'inventaire des immobilisations.</td><td>Non mise en œuvre</td></tr></table>",
        h(1, "RÉPONSE DE M. LE MAIRE DE TESTVILLE"),
        "<p>Recommandation n° 4 : la commune conteste cette analyse et rappelle ses efforts de gestion "
        "depuis le début du mandat.</p>",
        "<p>" + FILLER + "</p>",
    ]
    return "<html><body>" + "".join(parts) + "</body></html>"
