"""The evidence as files: published figures, reference counts, respondent microdata, source documents.

Each module reads and validates one kind of file and says what is wrong, where.
"""
