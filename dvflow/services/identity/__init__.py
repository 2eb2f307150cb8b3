"""The keys of the parties' identity at rest: rotation (dvflow/crypto.py holds the keys and the cipher)."""
