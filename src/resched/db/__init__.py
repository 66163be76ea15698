"""resched.db"""
