"""resched.services"""
