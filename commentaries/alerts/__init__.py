"""E-mail alerts: subscriptions (double opt-in), one alert per subscriber and piece, weekly
digests, unsubscribing, and what editors see of subscribers.

Owns the Subscriber, Subscription, SignupRequest, Delivery and Digest models. It may import the
domain (commentaries.models, commentaries.publishing.events) and authors; nothing outside it imports it
except the URL configuration and templates that show its form or its admin button (the editors'
desk loads the providers its AppConfig names, desk.py, by their dotted paths). It listens
to commentaries.publishing.events.became_public and does its sending in tasks the worker runs.
"""
