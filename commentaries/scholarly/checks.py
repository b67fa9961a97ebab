from django.core import checks

from commentaries.scholarly import pdf


@checks.register(deploy=True)
def cjk_fonts(app_configs, **kwargs):
    """Said at `check --deploy` (make serve): PDFs of Japanese names would print boxes."""
    if pdf.cjk_fonts_installed():
        return []
    return [checks.Warning(pdf.FONTS_HELP, id="scholarly.W001")]
