"""Netra: suspected-partisanship monitoring of ASN public posts for Bawaslu review."""
