"""Reference data shipped with the application: public classifications, each with its year and
source, as data files beside the code that reads them (``places``: Statistics Finland's regions
and municipalities)."""
