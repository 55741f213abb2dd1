"""API endpoint of the activity catalogue: search an economic activity (French or Arabic) and
learn which regime applies and what follows. Thin: the search is rokhas.activities.selectors'."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from rokhas.activities.models import Regime
from rokhas.activities.selectors import search_activities, what_follows

from .views import PublicView, errors, valid


class ActivitySearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                              help_text=_("Part of the activity's French or Arabic name, or a synonym."))


class WhatFollowsSerializer(serializers.Serializer):
    declaration_only = serializers.BooleanField(help_text=_("Simple declaration: the receipt is issued on filing "
                                                            "and the file is not examined."))
    organisation_kinds = serializers.ListField(child=serializers.CharField(),
                                               help_text=_("Kinds of the bodies that examine the file."))
    total_days = serializers.IntegerField(allow_null=True)
    day_kind = serializers.CharField()
    deadline_source = serializers.CharField()


class ActivitySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_fr = serializers.CharField()
    name_ar = serializers.CharField()
    regime = serializers.ChoiceField(choices=Regime.choices)
    category = serializers.IntegerField(allow_null=True, help_text=_("Classified establishments: 2 or 3."))
    procedure = serializers.CharField(help_text=_("Code of the procedure to file under."))
    what_follows = WhatFollowsSerializer()


class ActivitySearchView(PublicView):
    @extend_schema(operation_id="activities_search", parameters=[ActivitySearchQuerySerializer],
                   responses={200: ActivitySerializer(many=True), **errors(400)}, tags=["catalogue"],
                   summary="Search economic activities (French or Arabic): the regime that applies and what follows")
    def get(self, request):
        query = valid(ActivitySearchQuerySerializer, request.query_params)["q"]
        out = []
        for activity in search_activities(query):
            follows = what_follows(activity)
            out.append({
                "code": activity.code, "name": activity.name, "name_fr": activity.name_fr,
                "name_ar": activity.name_ar, "regime": activity.regime, "category": activity.category,
                "procedure": activity.procedure.code,
                "what_follows": {"declaration_only": follows.declaration_only,
                                 "organisation_kinds": list(follows.organisations),
                                 "total_days": follows.total_days, "day_kind": follows.day_kind,
                                 "deadline_source": follows.deadline_source},
            })
        return Response(ActivitySerializer(out, many=True).data)
