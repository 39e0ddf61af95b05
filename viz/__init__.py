"""Views of the graph: self-contained offline HTML pages from autoescaping Jinja2 templates (viz/templates),
vis-network inlined from pyvis's bundled copy.

    from healthkg.viz import write_views
    paths = write_views(answers, out / "views")     # answers: queries.answers.Answers
"""
from healthkg.viz.views import PAGES, write_views

__all__ = ["PAGES", "write_views"]
