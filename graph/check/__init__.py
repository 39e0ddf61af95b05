"""Checks on the built graph: SHACL shapes and the *-violation.rq queries."""
