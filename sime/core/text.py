import unicodedata


def search_key(text: str) -> str:
    """Lower case without accents, so "migracion" finds "Migración" on SQLite and PostgreSQL alike."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
