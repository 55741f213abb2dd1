"""Bilingual (French / Arabic) official PDFs: filing receipt, decision, tacit approval certificate.

Fill a context from :mod:`rokhas.pdfs.contexts` and call :mod:`rokhas.pdfs.render`.
"""
