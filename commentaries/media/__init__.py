"""Pictures: uploaded images (author photos, lead images, figures in a body, series logos),
their renditions, and the share card drawn for a piece that has no lead image.

Owns the Image, Rendition, Figure and ShareCard rows, the checks an upload passes, the
renditions Pillow makes (tasks.py), the addresses that serve them (/images/...), the
{% picture %} tag, the admin's image list and picker. Imports the domain and the publication
events; nothing else of the project imports it but the pages and forms that show or take
pictures.
"""
