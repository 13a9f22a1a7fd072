"""The process owners' workbench: the process library, drafts, deploy, migration, rehearsal."""
