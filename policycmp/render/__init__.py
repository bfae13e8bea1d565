"""One renderer per output format, each reading a result ``Grid``."""
