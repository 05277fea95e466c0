"""The ``defkg`` command: thin click wrappers over library functions."""
