"""Evidence from the files people have, and a tamper-evident trace of a creator's process.

Readers (one module per file format or library) turn files into evidence items of the case
file (``assessor.case/1``); :mod:`.trace` keeps a hash-chained log of a generation session.
Nothing here knows the law: what an item proves is decided by the rule pack.
"""
