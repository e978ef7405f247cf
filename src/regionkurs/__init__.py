"""Course package for "Regional utveckling – 14 framgångsfaktorer".

The notebooks, the book's Sphinx extension and the cohort tools import it.
Importing the package has no side effects; the submodules load data on demand.
"""

__version__ = "0.1.0"
