"""The report sections: the page object, one module per section (named like the section
codes), and how text, numbers, tables and charts are written on a page.
"""
