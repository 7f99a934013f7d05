"""Early warnings (预警): rules declared in each owning app's `warnings.py`, evaluated at query time
(`services.evaluate`), acknowledged with a note (`Acknowledgement`) until their facts change."""
