"""The one shape of a refused input, shared by the APIs, forms and the CSV import."""


class Problems(Exception):
    """Every problem found in an input, as (field, message) pairs; answered as 422."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(f"{f}: {m}" for f, m in self.problems))

    def as_detail(self):
        return {"detail": str(self),
                "errors": [{"field": f, "message": m} for f, m in self.problems]}
