"""The write kernel: what "a domain row is written" means, on every path.

It imports Django only. `models.py` holds `DomainModel` and `DomainQuerySet`; every write of a
domain record — a single save or delete, `QuerySet.update()`, `bulk_create()`, `bulk_update()`,
`QuerySet.delete()` with its cascades, a raw save from a fixture — runs as chunks through one
pipeline (`hooks.run`): before-hooks, the write, after-hooks, in one transaction. Features (the
change log, the closed-period guard, review's "edited → back to 草稿", the education fund's ledger
rule …) subscribe in their app's `ready()` with `hooks.register`; the kernel never imports them.
"""
