"""The task workers: leases on running tasks, the claim, and the queue's health.

Owns TaskLease. A worker (`manage.py worker`, commentaries' command, runs workers.runner.Worker)
holds each task it runs under a lease it renews from a heartbeat thread; any live worker puts
back a task whose lease expired, whatever host or process ran it. Imports django-tasks-db and
Django; nothing of the project, which imports it.
"""
