"""The course on a JupyterHub: launch links, the hub's configuration helpers and
the learners' Swedish assignment page (a Jupyter server extension)."""
