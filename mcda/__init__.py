"""Fulcrum ranking library: decision problems, weights, MCDM methods, AHP, shortlists.

Pure library: no Streamlit import, no network, reads only the files it is given.
"""

from mcda.errors import InputError

__all__ = ["InputError"]
