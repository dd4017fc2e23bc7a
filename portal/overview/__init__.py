"""Reads behind the coordinator's and the school leader's overviews: the scope of trajecten,
the figures per school, board and quarter, and the signals from signed reports."""
