"""Running and publishing: the catalogue of sections, parameters, data snapshots, kernels,
executing notebooks, the batch and the site.
"""
