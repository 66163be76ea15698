"""resched.io"""
