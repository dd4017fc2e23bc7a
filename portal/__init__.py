"""The portal floor: people, organisations, notifications, mail, audit, uploads, one-time
tokens, middleware, login adapters and SSO. See docs/architecture.md."""
