"""LTI 1.3: Civics Quiz as a tool inside a school's LMS (launch, deep linking, grades, roster)."""
