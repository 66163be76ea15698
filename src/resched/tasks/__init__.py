"""resched.tasks"""
