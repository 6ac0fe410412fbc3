"""Beam PTransforms and DoFns that apply the plain-Python rules of :mod:`zhclean.filters`."""
