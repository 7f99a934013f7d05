"""Excel ledgers in and out (台账导入导出): one declarative mapping per model (mapping.py) drives the
reader, the importer (preview, then an all-or-nothing commit), the exporter and the blank templates."""
