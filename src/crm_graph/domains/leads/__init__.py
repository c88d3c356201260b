"""The leads domain. Its parts are named in manifest.py."""
