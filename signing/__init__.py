"""Signing with the issuing government's key: PAdES signatures on certificate PDFs and detached
CMS signatures on published data (issue 14). The key handling lives in :mod:`signing.keys`."""
