"""Pictures and charts of results; they know no model."""
