"""Plain-Python decisions of zhclean: no Beam import anywhere below this package.

Each rule or model is one class that looks at a :class:`~zhclean.filters.document.Document`
and returns a :class:`~zhclean.filters.verdict.Verdict` naming why it dropped it.
"""
