## El centro de ayuda público, en español.

hc-title = Centro de ayuda
hc-home = Inicio del centro de ayuda
hc-search = Buscar
hc-search-label = Buscar en el centro de ayuda
hc-search-placeholder = ¿En qué podemos ayudarte?
hc-results = Resultados de «{ $query }»
hc-result-count = { $count ->
    [one] Un artículo encontrado
   *[other] { $count } artículos encontrados
}
hc-no-results = Ningún artículo coincide con «{ $query }». Prueba con otras palabras o envía una solicitud y te responderá una persona.
hc-empty-query = Escribe lo que buscas.
hc-categories = Categorías
hc-promoted = Artículos populares
hc-attachments = Archivos adjuntos
hc-related = Artículos relacionados
hc-in-section = Artículos de esta sección
hc-updated = Actualizado
hc-breadcrumbs = Estás aquí
hc-language = Idioma
hc-not-found-title = Página no encontrada
hc-not-found = No encontramos esa página. Puede que se haya movido o que no esté publicada.
hc-error-title = Algo salió mal
hc-error = El centro de ayuda no pudo mostrar esta página. Vuelve a intentarlo en un momento.
hc-skip = Saltar al contenido
hc-previous = Resultados anteriores
hc-next = Más resultados
hc-more = Ver los { $count } artículos
hc-helpful = ¿Te ha resultado útil este artículo?
hc-yes = Sí
hc-no = No
hc-thanks = Gracias por tu respuesta.
hc-helpful-count = A { $up } de { $count } les ha resultado útil
hc-date = { $day } de { $month } de { $year }
hc-month-1 = enero
hc-month-2 = febrero
hc-month-3 = marzo
hc-month-4 = abril
hc-month-5 = mayo
hc-month-6 = junio
hc-month-7 = julio
hc-month-8 = agosto
hc-month-9 = septiembre
hc-month-10 = octubre
hc-month-11 = noviembre
hc-month-12 = diciembre
hc-signed-in-as = Sesión iniciada como { $name }
hc-restricted = Artículo interno: solo lo ven las personas a las que va dirigido, no aparece en el centro de ayuda público.
hc-invalid-title = Falta algo
hc-invalid = No hemos podido tomar lo que has enviado: vuelve atrás, revísalo y envíalo de nuevo.

# Comentarios de los lectores en un artículo.
hc-comments = Comentarios
hc-comments-none = Aún no hay comentarios.
hc-comments-closed = Este artículo no admite comentarios.
hc-comment-add = Añadir un comentario
hc-comment-publish = Publicar
hc-comment-sign-in = Inicia sesión para comentar
