"""ogi: annual reports on open government information (政府信息公开工作年度报告) → a validated dataset."""
__version__ = "0.1.0"
