"""Tests of the service layer: trade views, trades, profit, statistics, balance."""
