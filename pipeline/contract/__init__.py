"""The contract between the stages: what travels on Kafka and how it is read back.

`schema` (ContactEvent v1) and `vocab` (its closed vocabularies), `dead_letter` (a record on
`contact.dlq` and the `Origin` of any record), `headers` (the Kafka header names) and
`enriched` (the record on `contact.enriched`). Everything else in the project imports these;
they import nothing of the project's own outside this package.
"""
