"""rankaudit: audit the methodology of city rankings."""

__version__ = "0.1.0"
