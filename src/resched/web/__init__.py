"""resched.web"""
