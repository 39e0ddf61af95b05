"""The SELECTs the views ask of the store. They live here, not in queries/ (the researchers' question
library): they fetch what a picture needs, not answers to a research question."""

PREFIXES = """PREFIX hk: <https://w3id.org/healthkg/ontology#>
PREFIX hkc: <https://w3id.org/healthkg/concept/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX p-plan: <http://purl.org/net/p-plan#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""

PLANS = PREFIXES + """
SELECT ?plan ?title ?number ?city ?city_en
WHERE {
  ?plan a hk:Plan ;
        hk:city ?cityNode .
  OPTIONAL { ?plan dcterms:title ?title }
  OPTIONAL { ?plan eli:id_local ?number }
  OPTIONAL { ?cityNode rdfs:label ?city . FILTER (LANG(?city) = "zh") }
  OPTIONAL { ?cityNode rdfs:label ?city_en . FILTER (LANG(?city_en) = "en") }
}
ORDER BY ?city ?plan
"""

# eli:is_part_of is the direct parent (the plan, or the parent section); hk:partOf is transitive.
SECTIONS = PREFIXES + """
SELECT ?section ?parent ?plan ?number ?heading ?industry
WHERE {
  ?section a hk:Section ;
           eli:is_part_of ?parent ;
           eli:is_part_of+ ?plan .
  ?plan a hk:Plan .
  OPTIONAL { ?section hk:sectionNumber ?number }
  OPTIONAL { ?section rdfs:label ?heading . FILTER (LANG(?heading) = "zh") }
  OPTIONAL { ?section hk:industry ?industry }
}
ORDER BY ?plan ?section
"""

# A task's own section is the deepest section it is part of. MINUS, not FILTER NOT EXISTS (the same
# rows here: both sides share ?task and ?section): Oxigraph runs NOT EXISTS once per row, 44 s on the
# on-disk store of 200 plans, and MINUS as one anti-join, 0.4 s.
TASKS = PREFIXES + """
SELECT ?task ?plan ?section ?number ?heading ?text ?industry
WHERE {
  ?task a hk:Task ;
        p-plan:isStepOfPlan ?plan .
  OPTIONAL { ?task hk:taskNumber ?number }
  OPTIONAL { ?task rdfs:label ?heading . FILTER (LANG(?heading) = "zh") }
  OPTIONAL { ?task hk:textSelection/oa:hasSelector/oa:exact ?text }   # the task as written
  OPTIONAL { ?task hk:industry ?industry }
  OPTIONAL {
    ?task hk:partOf ?section .
    ?section a hk:Section .
    MINUS {
      ?task hk:partOf ?deeper .
      ?deeper a hk:Section ;
              eli:is_part_of+ ?section .
    }
  }
}
ORDER BY ?plan ?task
"""

TASK_ELEMENTS = PREFIXES + """
SELECT ?task ?element
WHERE { ?task a hk:Task ; hk:chainElement ?element . }
ORDER BY ?task ?element
"""

ASSIGNMENTS = PREFIXES + """
SELECT ?task ?agency ?role ?position
WHERE {
  ?task a hk:Task ;
        hk:hasAssignment ?assignment .
  ?assignment hk:role ?roleConcept ;
              hk:assignedUnit ?agency .
  OPTIONAL { ?assignment hk:position ?position }
  BIND (STRAFTER(STR(?roleConcept), "/role/") AS ?role)
}
ORDER BY ?task ?role ?position ?agency
"""

BODIES = PREFIXES + """
SELECT DISTINCT ?agency ?name_zh ?name_en ?kind ?city
WHERE {
  ?assignment hk:assignedUnit ?agency .
  OPTIONAL { ?agency rdfs:label ?name_zh . FILTER (LANG(?name_zh) = "zh") }
  OPTIONAL { ?agency rdfs:label ?name_en . FILTER (LANG(?name_en) = "en") }
  OPTIONAL { ?agency org:classification|hk:groupKind ?kind }
  OPTIONAL { ?agency hk:city ?cityNode . ?cityNode rdfs:label ?city . FILTER (LANG(?city) = "zh") }
}
ORDER BY ?city ?agency
"""

BODY_FUNCTIONS = PREFIXES + """
SELECT ?agency ?function ?function_zh ?function_en
WHERE {
  ?agency org:purpose|hk:groupPurpose ?function .
  OPTIONAL { ?function skos:prefLabel ?function_zh . FILTER (LANG(?function_zh) = "zh") }
  OPTIONAL { ?function skos:prefLabel ?function_en . FILTER (LANG(?function_en) = "en") }
}
ORDER BY ?agency ?function
"""

# Every chain element of the scheme (an element no task reaches is still a node), and any other used.
ELEMENTS = PREFIXES + """
SELECT DISTINCT ?element ?label_zh ?label_en ?notation
WHERE {
  { ?element skos:inScheme <https://w3id.org/healthkg/concept/scheme/element> } UNION { ?task hk:chainElement ?element }
  OPTIONAL { ?element skos:prefLabel ?label_zh . FILTER (LANG(?label_zh) = "zh") }
  OPTIONAL { ?element skos:prefLabel ?label_en . FILTER (LANG(?label_en) = "en") }
  OPTIONAL { ?element skos:notation ?notation }
}
ORDER BY ?element
"""

INDUSTRIES = PREFIXES + """
SELECT DISTINCT ?industry ?label_zh ?label_en
WHERE {
  { ?task a hk:Task ; hk:industry ?industry } UNION { ?section a hk:Section ; hk:industry ?industry }
  OPTIONAL { ?industry skos:prefLabel ?label_zh . FILTER (LANG(?label_zh) = "zh") }
  OPTIONAL { ?industry skos:prefLabel ?label_en . FILTER (LANG(?label_en) = "en") }
}
ORDER BY ?industry
"""

# A target of a task (hk:partOf a task) or of the plan's goals part (hk:partOf the plan only); a target the
# plan restates has a row per task and per mention's label. Years are the notations of the period concepts
# (hkc:period/no-year has none).
TARGETS = PREFIXES + """
SELECT ?target ?task ?plan ?label ?indicator_zh ?value ?value_max ?unit ?comparator ?per ?year ?year_inferred ?city
WHERE {
  ?target a hk:Target .
  OPTIONAL { ?target hk:partOf ?task . ?task a hk:Task }
  OPTIONAL { ?target hk:partOf ?plan . ?plan a hk:Plan }
  OPTIONAL { ?target rdfs:label ?label . FILTER (LANG(?label) = "zh") }
  OPTIONAL { ?target hk:indicator ?indicator .
             ?indicator skos:prefLabel ?indicator_zh . FILTER (LANG(?indicator_zh) = "zh") }
  OPTIONAL { ?target hk:value ?value }
  OPTIONAL { ?target hk:valueMax ?value_max }
  OPTIONAL { ?target hk:unit ?unit }
  OPTIONAL { ?target hk:comparator ?comparator }
  OPTIONAL { ?target hk:per ?per }
  OPTIONAL { ?target hk:targetYear/skos:notation ?gyear }
  OPTIONAL { ?target hk:inferredTargetYear/skos:notation ?inferred }
  BIND (COALESCE(STR(?gyear), STR(?inferred), "") AS ?year)
  BIND (BOUND(?inferred) && !BOUND(?gyear) AS ?year_inferred)
  OPTIONAL { ?target hk:city ?cityNode . ?cityNode rdfs:label ?city . FILTER (LANG(?city) = "zh") }
}
ORDER BY ?target ?task ?label
"""
