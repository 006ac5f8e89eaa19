"""Zhigong 职工服务平台."""

__version__ = "0.1.0"
