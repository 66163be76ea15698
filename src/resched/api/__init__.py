"""resched.api"""
