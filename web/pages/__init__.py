"""The HTML pages (server-rendered, Jinja2 templates in web/templates/pages/): consulent
(voorstel, toets, ruimte, besluiten), teamleider (wachtrij), beleidsmedewerker (rulesets),
auditor (controle). They call the same engine functions as the CLI and the API."""
