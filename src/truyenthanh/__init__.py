"""truyenthanh: Vietnamese grassroots information pipeline.

Approved announcements -> per-area rendered text -> spoken script -> loudspeaker
programmes and weekly bundles, and in the same run print-ready PDFs.
"""

__version__ = "0.1.0"
