"""insights-service: per-user insights, a CQRS read model of task events, rebuilt by replay."""

APP_ID = "insights-service"
