"""Alerts: rules as data (config), pure evaluation (rules), Chinese messages (message), delivery (send)."""
